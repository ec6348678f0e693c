/routing settings
set check-gateway-interval=5ms check-gateway-up-count=0
