// `loupe`: one binary, a subcommand each. Exit codes (exit-codes.ts) are the contract with
// scripts: 0 all done, 1 some failed, 2 a usage error, found before anything ran.
import { Command, CommanderError } from 'commander';
import { isLoupeError } from '@loupe/shared';
import { REPORT_VERSION } from './batch/report';
import { editCommand } from './commands/edit';
import { generateCommand } from './commands/generate';
import { modelsCommand, opsCommand } from './commands/listings';
import { mcpCommand } from './commands/mcp';
import { serveCommand } from './commands/serve';
import { EXIT } from './exit-codes';
import { UsageError } from './usage-error';

const program = new Command('loupe')
  .description('Loupe: AI image edits on this machine or a Loupe server')
  .showHelpAfterError('(loupe <command> --help shows its flags)');
for (const command of [
  serveCommand(),
  editCommand(),
  generateCommand(),
  mcpCommand(),
  opsCommand(),
  modelsCommand(),
])
  program.addCommand(command.exitOverride());
program.exitOverride();

const wantsJson = process.argv.includes('--json');

function usage(message: string, field?: string): number {
  if (wantsJson)
    process.stdout.write(
      `${JSON.stringify({ v: REPORT_VERSION, usageError: { message, ...(field ? { field } : {}) } })}\n`,
    );
  process.stderr.write(`loupe: ${message}\n`);
  return EXIT.usage;
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Help and --version are answers, not errors; commander has already printed the rest.
    const answered = ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(
      e.code,
    );
    if (!answered && wantsJson)
      process.stdout.write(
        `${JSON.stringify({ v: REPORT_VERSION, usageError: { message: e.message } })}\n`,
      );
    process.exitCode = answered ? EXIT.ok : EXIT.usage;
  } else if (e instanceof UsageError) {
    process.exitCode = usage(e.message, e.field);
  } else if (isLoupeError(e)) {
    process.stderr.write(`loupe: ${e.message} [${e.code}]\n`);
    process.exitCode = EXIT.someFailed;
  } else {
    process.stderr.write(`loupe: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = EXIT.someFailed;
  }
}
