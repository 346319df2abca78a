// @teleport-actions/auth-k8s 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as r,d as o}from"./chunks/chunk-OIUID4O3.mjs";import"./chunks/chunk-Y4DVU6BQ.mjs";import"./chunks/chunk-MXBCXWPZ.mjs";import"./chunks/chunk-YLKDOLIV.mjs";import"./chunks/chunk-4722YLKH.mjs";import"./chunks/chunk-J5OUCA35.mjs";await t(r(),"auth-k8s (cleanup)",o);
