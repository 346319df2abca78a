// @teleport-actions/application-tunnel 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as n,d as o}from"./chunks/chunk-IVLKGNGC.mjs";import"./chunks/chunk-B4L56WBX.mjs";import"./chunks/chunk-LF6WOBBQ.mjs";import"./chunks/chunk-SUO3U6UV.mjs";import"./chunks/chunk-F5GD52W4.mjs";import"./chunks/chunk-6RML7ZB6.mjs";await t(n(),"application-tunnel (cleanup)",o);
