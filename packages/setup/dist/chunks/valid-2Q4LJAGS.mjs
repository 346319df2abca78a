// @teleport-actions/setup 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{h as a}from"./chunk-ZCI554W2.mjs";import"./chunk-Z6JMH5K3.mjs";export default a();
