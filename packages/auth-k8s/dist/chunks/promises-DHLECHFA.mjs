// @teleport-actions/auth-k8s 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a}from"./chunk-5EQSUMRF.mjs";import"./chunk-J5OUCA35.mjs";export default a();
