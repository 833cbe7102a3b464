package runtimehost

// Linux errno values returned (negated) by the handlers.
const (
	EPERM     = 1
	ENOENT    = 2
	ESRCH     = 3
	EINTR     = 4
	EBADF     = 9
	EAGAIN    = 11
	ENOMEM    = 12
	EFAULT    = 14
	ENODEV    = 19
	EINVAL    = 22
	EMFILE    = 24
	ENOSYS    = 38
	ETIMEDOUT = 110
)
