// @teleport-actions/database-tunnel 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a}from"./chunk-A53WNDWJ.mjs";import"./chunk-VFR5FVWX.mjs";export default a();
