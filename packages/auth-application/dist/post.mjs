// @teleport-actions/auth-application 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as o,d as r}from"./chunks/chunk-UF4Z5YTI.mjs";import"./chunks/chunk-S7LUWPRE.mjs";import"./chunks/chunk-GROL5YQM.mjs";await t(o(),"auth-application (cleanup)",r);
