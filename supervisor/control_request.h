/* The control protocol, shared by the supervisor and spreadctl: where the
 * socket is, and the requests, one JSON object per line,
 * {"cmd":"status"} or {"cmd":"restart","name":"binance"}. */
#ifndef SPREADBUS_SUPERVISOR_CONTROL_REQUEST_H
#define SPREADBUS_SUPERVISOR_CONTROL_REQUEST_H

#include <stddef.h>

#include "common/config.h"

#define CONTROL_REQUEST_MAX 4096 /* bytes, newline included */
#define CONTROL_SOCKET_NAME "spreadbus.sock"

enum control_cmd { CONTROL_STATUS, CONTROL_RESTART, CONTROL_STOP, CONTROL_START, CONTROL_RELOAD, CONTROL_UNIVERSE };

struct control_request {
	enum control_cmd cmd;
	char name[CONFIG_NAME_MAX]; /* restart/stop/start only */
};

/* <runtime_dir>/spreadbus.sock; -ENAMETOOLONG if it does not fit. */
int control_socket_path(const struct config *cfg, char *out, size_t out_len);

/* Parse one request line (without the newline). Returns 0, or -EINVAL with
 * a message for the client in err. */
int control_request_parse(const char *line, size_t len, struct control_request *req, char *err, size_t err_len);

/* The command's wire name, and the reverse; -EINVAL if unknown. */
const char *control_cmd_name(enum control_cmd cmd);
int control_cmd_from_name(const char *name, enum control_cmd *out);
/* Whether the command needs a child name. */
int control_cmd_takes_name(enum control_cmd cmd);

#endif
