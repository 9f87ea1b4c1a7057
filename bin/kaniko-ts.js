#!/usr/bin/env node
// Launcher for the CLI; needs Node 24 (type stripping runs the TypeScript sources directly).
import '../src/cli/main.ts';
