// Entry of the action's post step (runs.post).
import { runPost } from './post.ts';

await runPost();
