# Every line is in a menu ecmpd skips: the file configures nothing ecmpd
# does, so accepting it would run a gateway that means nothing.
/system identity
set name=gw
/ip dns
set servers=1.1.1.1
/interface wireless
set [ find default-name=wlan1 ] ssid=home
