/** Store throughput measurement for `orchard bench` and the store's own numbers. */
export {
  measureStoreThroughput,
  type ThroughputOptions,
  type ThroughputResult,
} from "./throughput/measure.js";
