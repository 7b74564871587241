#ifndef KRSH_CLIBEDIT_SHIM_H
#define KRSH_CLIBEDIT_SHIM_H

// libedit configures itself through the variadic el_set/el_get/history calls, and Swift cannot call
// C variadic functions. These wrappers give each call krsh makes a fixed signature.

#include <stdio.h>
#include <sys/ioctl.h>
#include <histedit.h>

typedef char *(*krsh_prompt_function)(EditLine *);
typedef unsigned char (*krsh_editor_function)(EditLine *, int);

// The process's standard streams as FILE pointers: C globals that Swift 6 will not read directly
// (shared mutable state), handed out through functions instead.
static inline FILE *krsh_stdin(void) { return stdin; }
static inline FILE *krsh_stdout(void) { return stdout; }
static inline FILE *krsh_stderr(void) { return stderr; }

// The width of the terminal `stream` writes to, or 0 when it is not a terminal.
static inline int krsh_terminal_columns(FILE *stream) {
    struct winsize size;
    if (ioctl(fileno(stream), TIOCGWINSZ, &size) != 0) return 0;
    return size.ws_col;
}

static inline int krsh_el_set_prompt(EditLine *el, krsh_prompt_function prompt) {
    return el_set(el, EL_PROMPT, prompt);
}

static inline int krsh_el_set_editor(EditLine *el, const char *mode) {
    return el_set(el, EL_EDITOR, mode);
}

static inline int krsh_el_set_signal(EditLine *el, int handle) {
    return el_set(el, EL_SIGNAL, handle);
}

static inline int krsh_el_set_history(EditLine *el, History *hist) {
    return el_set(el, EL_HIST, history, hist);
}

static inline int krsh_el_add_function(EditLine *el, const char *name, const char *help,
                                       krsh_editor_function function) {
    return el_set(el, EL_ADDFN, name, help, function);
}

static inline int krsh_el_bind(EditLine *el, const char *key, const char *function_name) {
    return el_set(el, EL_BIND, key, function_name, (const char *)NULL);
}

static inline int krsh_el_set_client_data(EditLine *el, void *data) {
    return el_set(el, EL_CLIENTDATA, data);
}

static inline void *krsh_el_client_data(EditLine *el) {
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0) return NULL;
    return data;
}

static inline int krsh_history_set_size(History *hist, int size) {
    HistEvent event;
    return history(hist, &event, H_SETSIZE, size);
}

static inline int krsh_history_set_unique(History *hist, int unique) {
    HistEvent event;
    return history(hist, &event, H_SETUNIQUE, unique);
}

static inline int krsh_history_enter(History *hist, const char *line) {
    HistEvent event;
    return history(hist, &event, H_ENTER, line);
}

static inline int krsh_history_load(History *hist, const char *path) {
    HistEvent event;
    return history(hist, &event, H_LOAD, path);
}

static inline int krsh_history_save(History *hist, const char *path) {
    HistEvent event;
    return history(hist, &event, H_SAVE, path);
}

#endif
