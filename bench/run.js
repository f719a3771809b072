#!/usr/bin/env node
'use strict';
// `pnpm bench [--quick]`: the compiled benchmark (built by the root `tsc -b`).
require('./dist/run.js');
