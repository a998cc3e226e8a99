export {
  categoricalFromUniform,
  categoricalSizeMax,
  KeyedRandom,
  type KeyPart,
  keyedRandom,
} from "./keyed.ts";
export { threefry2x32 } from "./threefry.ts";
