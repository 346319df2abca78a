// @teleport-actions/auth-ssh 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a}from"./chunk-3GIWPTS4.mjs";import"./chunk-YNG24QUC.mjs";export default a();
