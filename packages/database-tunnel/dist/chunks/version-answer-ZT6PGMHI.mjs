// @teleport-actions/database-tunnel 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{c as a}from"./chunk-ICAPEQTN.mjs";import"./chunk-VFR5FVWX.mjs";export{a as askTbotVersion};
