from bringup.face.edge import entry

entry()
