// @teleport-actions/auth-k8s 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as o,c as r,e as i}from"./chunks/chunk-OIUID4O3.mjs";import"./chunks/chunk-Y4DVU6BQ.mjs";import"./chunks/chunk-MXBCXWPZ.mjs";import"./chunks/chunk-YLKDOLIV.mjs";import"./chunks/chunk-4722YLKH.mjs";import"./chunks/chunk-J5OUCA35.mjs";var n={name:"@teleport-actions/auth-k8s",version:"1.0.0"};await t(o(),"auth-k8s",a=>i(a,r(n.version)));
