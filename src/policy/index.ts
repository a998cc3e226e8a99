export { RoleTextCodec, responseTokensMax, worldRoleFormats, worldTextCodec } from "./role-text.ts";
