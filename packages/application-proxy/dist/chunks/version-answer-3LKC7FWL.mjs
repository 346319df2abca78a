// @teleport-actions/application-proxy 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{c as a,d as b}from"./chunk-6Q6RYR7J.mjs";import"./chunk-EYDJB2RP.mjs";export{a as TBOT_VERSION_TIMEOUT_MS,b as askTbotVersion};
