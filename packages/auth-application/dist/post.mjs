// @teleport-actions/auth-application 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as o,d as r}from"./chunks/chunk-4C526FHA.mjs";import"./chunks/chunk-PNFTJMNU.mjs";import"./chunks/chunk-OEEA5NZF.mjs";import"./chunks/chunk-ZWR67RUT.mjs";import"./chunks/chunk-SMHWGB6W.mjs";import"./chunks/chunk-GROL5YQM.mjs";await t(o(),"auth-application (cleanup)",r);
