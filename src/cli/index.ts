/**
 * mmzero cli: the `mmzero` command (bin/mmzero.js runs `main`); commands live in commands/.
 */
export { buildProgram, main } from "./main.ts";
