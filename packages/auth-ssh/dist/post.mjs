// @teleport-actions/auth-ssh 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as r,d as o}from"./chunks/chunk-YAWGAVST.mjs";import"./chunks/chunk-67UGMY6Z.mjs";import"./chunks/chunk-WMECQIUK.mjs";import"./chunks/chunk-X2QNQEXD.mjs";await t(r(),"auth-ssh (cleanup)",o);
