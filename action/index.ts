// Entry of the action's main step (runs.main): the action, with the executor of executor-command.ts.
import { executorCommand } from './executor-command.ts';
import { runAction } from './main.ts';

await runAction({ executor: executorCommand() });
