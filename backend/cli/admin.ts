#!/usr/bin/env tsx
/** Admin command: accounts and invites on the local stack or a deployment (`npm run admin -- --help`). */
import { processIo } from '../auth/admin/command';
import { adminCli } from './admin/main';

process.exitCode = await adminCli(process.argv.slice(2), processIo, process.env);
