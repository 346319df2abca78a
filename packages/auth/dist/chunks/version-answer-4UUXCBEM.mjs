// @teleport-actions/auth 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{c as a}from"./chunk-DBAJHMP4.mjs";import"./chunk-ZXWZKVGS.mjs";export{a as askTbotVersion};
