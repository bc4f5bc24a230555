import { describeDecoderContract } from '@fusedis/test-harness/decoder-contract';
import { createNativeDecoder } from '../../src/index.js';

// The shared contract, unchanged: every fixture in every chunking, streaming, hostile inputs.
describeDecoderContract('native', createNativeDecoder);
