/routing table
add name=to_wlan1 fib
add name=to_wlan1 fib
