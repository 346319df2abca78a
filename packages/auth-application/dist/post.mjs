// @teleport-actions/auth-application 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as o,d as r}from"./chunks/chunk-RWITIKE6.mjs";import"./chunks/chunk-3BNA227R.mjs";import"./chunks/chunk-VJASJBEU.mjs";import"./chunks/chunk-PMXECQJP.mjs";await t(o(),"auth-application (cleanup)",r);
