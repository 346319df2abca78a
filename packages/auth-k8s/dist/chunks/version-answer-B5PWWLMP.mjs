// @teleport-actions/auth-k8s 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{c as a,d as b}from"./chunk-UO2NJMBT.mjs";import"./chunk-J5OUCA35.mjs";export{a as TBOT_VERSION_TIMEOUT_MS,b as askTbotVersion};
