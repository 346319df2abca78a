// @teleport-actions/application-tunnel 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{c as a,d as b}from"./chunk-SWAFAVVL.mjs";import"./chunk-6RML7ZB6.mjs";export{a as TBOT_VERSION_TIMEOUT_MS,b as askTbotVersion};
