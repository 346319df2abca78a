// @teleport-actions/auth-application 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a}from"./chunk-3QB4672P.mjs";import"./chunk-GROL5YQM.mjs";export default a();
