import { createOracleDecoder, describeDecoderContract } from '@fusedis/test-harness/decoder-contract';
import { createJsDecoder } from '../../src/index.js';

// The same contract, unchanged, for the fast JS decoder and for the two-pass oracle it is checked against.
describeDecoderContract('js', createJsDecoder);
describeDecoderContract('oracle', createOracleDecoder, { largeInputs: false });
