// @teleport-actions/auth-application 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as i,c as o,e as a}from"./chunks/chunk-4C526FHA.mjs";import"./chunks/chunk-PNFTJMNU.mjs";import"./chunks/chunk-OEEA5NZF.mjs";import"./chunks/chunk-ZWR67RUT.mjs";import"./chunks/chunk-SMHWGB6W.mjs";import"./chunks/chunk-GROL5YQM.mjs";var p={name:"@teleport-actions/auth-application",version:"1.0.0"};await t(i(),"auth-application",n=>a(n,o(p.version,"auth-application")));
