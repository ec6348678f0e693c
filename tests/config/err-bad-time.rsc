/routing settings
set check-gateway-timeout=1x
