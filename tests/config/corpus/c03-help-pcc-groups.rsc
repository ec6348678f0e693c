# Source: MikroTik documentation, "Per connection classifier", example
#   section (connections split into three groups by src-address-and-port),
#   https://help.mikrotik.com/docs/spaces/ROS/pages/152600617/Per+connection+classifier
# Reconstructed after the example, with one line per group in the one-line
# "/ip firewall mangle add ..." form the page uses, continued with '\'; not
# a verbatim copy. The page shows only the marking; there are no routes, so
# the marks mean nothing to the kernel.
/ip firewall mangle add chain=prerouting action=mark-connection \
    new-connection-mark=1st_conn per-connection-classifier=src-address-and-port:3/0
/ip firewall mangle add chain=prerouting action=mark-connection \
    new-connection-mark=2nd_conn per-connection-classifier=src-address-and-port:3/1
/ip firewall mangle add chain=prerouting action=mark-connection \
    new-connection-mark=3rd_conn per-connection-classifier=src-address-and-port:3/2
