// @teleport-actions/application-proxy 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{c as a}from"./chunk-EKMHNICD.mjs";import"./chunk-EYDJB2RP.mjs";export{a as askTbotVersion};
