// @teleport-actions/auth 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as r,d as o}from"./chunks/chunk-4IKNPHNY.mjs";import"./chunks/chunk-5QJYXKK6.mjs";import"./chunks/chunk-ZXWZKVGS.mjs";await t(r(),"auth (cleanup)",o);
