// @teleport-actions/auth 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a}from"./chunk-FYYXX56T.mjs";import"./chunk-ZXWZKVGS.mjs";export default a();
