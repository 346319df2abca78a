// @teleport-actions/auth-ssh 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{c as a,d as b}from"./chunk-3JEUNUS7.mjs";import"./chunk-YNG24QUC.mjs";export{a as TBOT_VERSION_TIMEOUT_MS,b as askTbotVersion};
