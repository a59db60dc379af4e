module slipway.dev/env-exec

go 1.21
