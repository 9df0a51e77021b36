/*
 * serve: the authors' live preview, `sitegen serve`.  Builds the working
 * tree (committed or not) into the output folder, serves that folder on a
 * loopback address with Civetweb, and builds again whenever a file of the
 * content (or of --theme) is saved, as inotify reports it.  Every HTML
 * page is served with a script file that asks the server for its build
 * generation and reloads the page when it changes, under the site's
 * strict Content-Security-Policy (no inline script or style).  A build
 * that fails leaves the last good site in place (site_build's swap), and
 * every page is then served with the errors, file:line, at its top, until
 * a build succeeds again.  The files written are exactly what
 * `sitegen build --worktree` writes: what the preview adds is added as it
 * is served.
 */
#ifndef SERVE_H
#define SERVE_H

#include "site/build.h"

/* Serves until SIGINT or SIGTERM.  listen is "127.0.0.1:PORT" (PORT 0: any
 * free port) or another loopback address; opt->base_url NULL means the
 * served address.  Messages go to standard error, one line
 * "sitegen: serving http://ADDRESS/" to standard output once serving.
 * Returns the exit status. */
int serve_run(struct build_options *opt, const char *listen, int quiet);

#endif
