// @teleport-actions/auth-ssh 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{c as a}from"./chunk-W3EEPW3S.mjs";import"./chunk-YNG24QUC.mjs";export{a as askTbotVersion};
