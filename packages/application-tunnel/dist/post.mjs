// @teleport-actions/application-tunnel 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as n,d as o}from"./chunks/chunk-IQHHUDIY.mjs";import"./chunks/chunk-GKF445UW.mjs";import"./chunks/chunk-LP3GO6OI.mjs";import"./chunks/chunk-3WRFRPYK.mjs";await t(n(),"application-tunnel (cleanup)",o);
