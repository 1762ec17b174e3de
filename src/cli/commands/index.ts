// The registry of CLI commands: one file per command, each adds itself to this list.
import type { Command } from 'commander'

/** Reports an exit code for the run; the highest reported code wins. */
export type SetExitCode = (code: number) => void
/** Adds one command to the program. */
export type RegisterCommand = (program: Command, setExitCode: SetExitCode) => void

export const COMMANDS: RegisterCommand[] = []

import { register as registerValidate } from './validate.js'
COMMANDS.push(registerValidate)
import { register as registerKeygen } from './keygen.js'
COMMANDS.push(registerKeygen)
import { register as registerSign } from './sign.js'
COMMANDS.push(registerSign)
import { register as registerVerify } from './verify.js'
COMMANDS.push(registerVerify)
import { register as registerStamp } from './stamp.js'
COMMANDS.push(registerStamp)
import { register as registerInspect } from './inspect.js'
COMMANDS.push(registerInspect)
import { register as registerStrip } from './strip.js'
COMMANDS.push(registerStrip)
import { register as registerCheck } from './check.js'
COMMANDS.push(registerCheck)
import { register as registerHeaders } from './headers.js'
COMMANDS.push(registerHeaders)
import { register as registerHtml } from './html.js'
COMMANDS.push(registerHtml)
import { register as registerRobots } from './robots.js'
COMMANDS.push(registerRobots)
import { register as registerScan } from './scan.js'
COMMANDS.push(registerScan)
