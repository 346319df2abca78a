// @teleport-actions/auth-k8s 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as r,d as o}from"./chunks/chunk-AI7QGNEU.mjs";import"./chunks/chunk-BXO2GBMB.mjs";import"./chunks/chunk-PZISTAKE.mjs";import"./chunks/chunk-OJA4XL32.mjs";await t(r(),"auth-k8s (cleanup)",o);
