x =  
