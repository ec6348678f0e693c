# /interface ethernet takes set [ find default-name=NAME ] only, as
# exports write it.
/interface ethernet
set [ find name=ether3 ] name=LAN
set numbers=0 name=X
set [ find default-name=ether4 name=LAN
