// @teleport-actions/auth-app 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{c as a}from"./chunk-JRGGYFP2.mjs";import"./chunk-XJDSVW3W.mjs";export{a as askTbotVersion};
