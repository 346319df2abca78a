// @teleport-actions/auth 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as o,c as r,e as i}from"./chunks/chunk-4IKNPHNY.mjs";import"./chunks/chunk-5QJYXKK6.mjs";import"./chunks/chunk-ZXWZKVGS.mjs";var n={name:"@teleport-actions/auth",version:"1.0.0"};await t(o(),"auth",a=>i(a,r(n.version)));
