// @teleport-actions/application-tunnel 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a}from"./chunk-PIKP2B6U.mjs";import"./chunk-6RML7ZB6.mjs";export default a();
