// @teleport-actions/auth-app 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{c as a,d as b}from"./chunk-ASIEWDYR.mjs";import"./chunk-XJDSVW3W.mjs";export{a as TBOT_VERSION_TIMEOUT_MS,b as askTbotVersion};
