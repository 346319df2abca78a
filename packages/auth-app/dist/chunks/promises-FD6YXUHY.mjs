// @teleport-actions/auth-app 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a}from"./chunk-AMCQH2BG.mjs";import"./chunk-XJDSVW3W.mjs";export default a();
