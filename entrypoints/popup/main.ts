import { showSnapshot } from '@/utils/popup-snapshot';
import { mark, readStartupState, STARTUP_MARKS } from '@/utils/popup-startup';
import './style.css';

// First thing: paint the picture of the last state (if any) and start reading the cached
// state (one storage.local.get); only then fetch the app (Vue, Pinia, the views), which
// mounts with that state and takes over from the picture.
mark(STARTUP_MARKS.script);
const root = document.getElementById('app')!;
const build = import.meta.url;
if (showSnapshot(root, build)) mark(STARTUP_MARKS.snapshot);
const state = readStartupState();
void state.then(() => mark(STARTUP_MARKS.state));
void import('./app').then(({ startPopup }) => startPopup(root, state, build));
